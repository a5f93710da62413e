import { describe, expect, it } from 'vitest';
import { open311Status, parseServiceCode, statusesOf, titleOf } from './open311.ts';
import { ORDER_STATUSES } from './order.ts';

describe('Open311 mapping', () => {
  it('maps every status to open or closed, and back', () => {
    for (const s of ORDER_STATUSES) expect(statusesOf(open311Status(s))).toContain(s);
    expect(open311Status('dispatched')).toBe('open');
    expect(open311Status('returned')).toBe('open');
    expect(open311Status('done')).toBe('closed');
    expect(open311Status('rejected')).toBe('closed');
  });

  it('parses service codes: categories and menu items', () => {
    expect(parseServiceCode('education')).toEqual({ kind: 'category', category: 'education' });
    expect(parseServiceCode('menu-12')).toEqual({ kind: 'menu', menuItemId: 12 });
    expect(parseServiceCode('menu-')).toBeNull();
    expect(parseServiceCode('Education')).toBeNull();
    expect(parseServiceCode('menu-1234567890')).toBeNull();
  });

  it('takes the title from the first line of the description', () => {
    expect(titleOf('初二数学辅导\n每周两次', '教育培训')).toBe('初二数学辅导');
    expect(titleOf('   ', '教育培训')).toBe('教育培训');
    expect(titleOf(undefined, '其他')).toBe('其他');
    expect(titleOf('x'.repeat(80), 'o')).toHaveLength(60);
  });
});
