import { expect, type Locator, type Page } from '@playwright/test';

/** The visual mapper, driven the way an analyst uses it. */
export class MappingEditor {
  constructor(readonly page: Page) {}

  field(target: string): Locator {
    return this.page.getByTestId(`target-field-${target}`);
  }

  async chooseTables(name: string, source: { connection: string; table: string }, target: { connection: string; table: string }) {
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    await selectByText(this.page.getByLabel('Source connection'), source.connection);
    await this.page.getByLabel('Source table').selectOption(source.table);
    await selectByText(this.page.getByLabel('Target connection'), target.connection);
    await this.page.getByLabel('Target table').selectOption(target.table);
    await expect(this.field('id')).toBeVisible();
  }

  async autoMapAndAcceptAll() {
    await this.page.getByRole('button', { name: 'Auto-map' }).click();
    await expect(this.page.getByTestId('automap-proposal').first()).toBeVisible();
    await this.page.getByRole('button', { name: 'Accept all' }).click();
  }

  async link(target: string, source: string) {
    await this.page.getByLabel(`Source for ${target}`, { exact: true }).selectOption(source);
  }

  async addSource(target: string, source: string) {
    await this.page.getByRole('button', { name: `Add another source to ${target}`, exact: true }).click();
    await this.page.getByLabel(`Add source to ${target}`, { exact: true }).selectOption(source);
  }

  async unmap(target: string) {
    await this.page.getByRole('button', { name: `Unmap ${target}`, exact: true }).click();
  }

  /** Adds a transform and returns its list item (for filling parameters). */
  async addTransform(target: string, op: string): Promise<Locator> {
    const before = await this.field(target).getByRole('listitem').filter({ has: this.page.locator('[aria-label]') }).count();
    await this.page.getByLabel(`Add transform to ${target}`, { exact: true }).selectOption(op);
    const items = this.page.getByRole('listitem', { name: new RegExp(`^${target} transform \\d+: ${op}$`) });
    await expect(items.last()).toBeVisible();
    void before;
    return items.last();
  }
}

async function selectByText(select: Locator, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  if (!value) throw new Error(`No option containing "${text}"`);
  await select.selectOption(value);
}
