import { describe, expect, it } from 'vitest';
import { filterChoices } from './inquirer-prompter.js';

const accounts = [
  { label: 'Payments Prod (111111111111)', value: 1, description: 'pay-prod@example.com' },
  { label: 'Payments Dev (222222222222)', value: 2, description: 'pay-dev@example.com' },
  { label: 'Search Prod (333333333333)', value: 3, description: 'search@example.com' },
];

describe('filterChoices (the type-to-filter search)', () => {
  it.each([
    ['', [1, 2, 3]],
    ['pay', [1, 2]],
    ['PROD', [1, 3]],
    ['pay prod', [1]],
    ['2222', [2]],
    ['search@', [3]],
    ['nomatch', []],
  ])('"%s" keeps %j', (term, expected) => {
    expect(filterChoices(accounts, term).map((c) => c.value)).toEqual(expected);
  });
});
