import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CapturePrerequisite } from '../schemas/capture-prerequisite';
import { formatCaptureFixes, hasBlockingProblem } from './check-capture-prerequisites';

test('fixes as one script: errors before warnings, option-file lines last and once', () => {
  const problems: CapturePrerequisite[] = [
    { code: 'row_metadata_not_full', severity: 'warning', message: '…', fix: "SET GLOBAL binlog_row_metadata = 'FULL';", config: '[mysqld]\nbinlog_row_metadata = FULL' },
    { code: 'binlog_off', severity: 'error', message: '…', fix: '[mysqld]\nlog_bin = mysql-bin\nbinlog_format = ROW' },
    { code: 'binlog_not_row', severity: 'error', message: '…', fix: "SET GLOBAL binlog_format = 'ROW';", config: '[mysqld]\nbinlog_format = ROW' },
    { code: 'primary_key', severity: 'error', message: '…', table: 'crm.notes', fix: 'ALTER TABLE `crm`.`notes` ADD PRIMARY KEY (`id`);' },
  ];
  assert.equal(
    formatCaptureFixes(problems),
    [
      "-- binlog_not_row\nSET GLOBAL binlog_format = 'ROW';",
      '-- primary_key (crm.notes)\nALTER TABLE `crm`.`notes` ADD PRIMARY KEY (`id`);',
      "-- warning: row_metadata_not_full\nSET GLOBAL binlog_row_metadata = 'FULL';",
      '-- option file, under [mysqld] (then restart the server where log_bin changes):\n[mysqld]\nlog_bin = mysql-bin\nbinlog_format = ROW\nbinlog_row_metadata = FULL',
    ].join('\n\n'),
  );
  assert.equal(hasBlockingProblem(problems), true);
  assert.equal(hasBlockingProblem(problems.filter((p) => p.severity === 'warning')), false);
  assert.equal(formatCaptureFixes([]), '');
});
