import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTransform } from './index';
import { split } from './split';
import { mappingSpecSchema } from '../../schemas/mapping-spec';

describe('split', () => {
  test('without an index: the list of parts, for an array column', () => {
    assert.deepEqual(split('red,green,blue', { separator: ',' }), ['red', 'green', 'blue']);
    assert.deepEqual(split('red', { separator: ',' }), ['red']);
    assert.deepEqual(split('', { separator: ',' }), ['']);
    assert.deepEqual(split('a||b', { separator: '||' }), ['a', 'b']);
    assert.deepEqual(split('a.b', { separator: '.' }), ['a', 'b']); // literal, not a regex
    assert.equal(split(null, { separator: ',' }), null);
  });

  test('trim and dropEmpty clean the parts: tags typed by hand', () => {
    assert.deepEqual(split(' a ; b;;  ; c ', { separator: ';', trim: true, dropEmpty: true }), ['a', 'b', 'c']);
    assert.deepEqual(split(' a ; b;;', { separator: ';', trim: true }), ['a', 'b', '', '']);
    assert.deepEqual(split('a,,b', { separator: ',', dropEmpty: true }), ['a', 'b']);
    assert.deepEqual(split(' , ', { separator: ',', trim: true, dropEmpty: true }), []);
    assert.deepEqual(split('', { separator: ',', dropEmpty: true }), []);
  });

  test('with an index: one part, counted after trimming and dropping empty parts', () => {
    assert.equal(split('a,,b', { separator: ',', index: 1 }), '');
    assert.equal(split('a,,b', { separator: ',', index: 1, dropEmpty: true }), 'b');
    assert.equal(split(' a , b ', { separator: ',', index: -1, trim: true }), 'b');
    assert.equal(split('a', { separator: ',', index: 1 }), null);
  });

  test('a list (an array read from the source) is split already', () => {
    assert.deepEqual(split(['x', ' y ', ''], { separator: ',', trim: true, dropEmpty: true }), ['x', 'y']);
    assert.equal(split(['x', 'y'], { separator: ',', index: 1 }), 'y');
  });

  test('the spec accepts a split without index, and its options; the dispatcher runs it', () => {
    const spec = mappingSpecSchema.parse({
      source: { table: 's', key: ['id'] },
      target: { table: 't', key: ['id'] },
      fields: [{ target: 'id', sources: ['id'] }, { target: 'tags', sources: ['tags'], transforms: [{ op: 'split', separator: ';', trim: true, dropEmpty: true }] }],
    });
    const [transform] = spec.fields[1].transforms;
    assert.deepEqual(transform, { op: 'split', separator: ';', trim: true, dropEmpty: true });
    assert.deepEqual(applyTransform('x; y;', transform), ['x', 'y']);
    assert.equal(mappingSpecSchema.safeParse({ ...spec, fields: [{ target: 'id', sources: ['id'], transforms: [{ op: 'split', separator: ',', trim: 'yes' }] }] }).success, false);
  });
});
