import { describe, expect, it } from 'vitest';
import { canAssignRole, PasswordSchema, roleCan } from './account.ts';
import { fieldIssueMessage, pickLang } from './messages.ts';
import {
  canPlaceUnder,
  HIERARCHICAL_ORG_KINDS,
  isHierarchicalKind,
  NON_HIERARCHICAL_ORG_KINDS,
  ORG_KINDS,
} from './org.ts';

describe('org kinds', () => {
  it('only the district committee is a root', () => {
    for (const kind of ORG_KINDS) {
      const anyParent = ORG_KINDS.some((p) => canPlaceUnder(kind, p));
      expect(anyParent, kind).toBe(kind !== 'district_committee');
    }
  });
  it('non-hierarchical kinds sit under a guiding hierarchical org, never under a group', () => {
    for (const kind of NON_HIERARCHICAL_ORG_KINDS) {
      expect(isHierarchicalKind(kind)).toBe(false);
      expect(canPlaceUnder(kind, 'town_committee')).toBe(true);
      expect(canPlaceUnder(kind, 'group')).toBe(false);
      expect(canPlaceUnder(kind, 'alliance')).toBe(false);
    }
    for (const kind of HIERARCHICAL_ORG_KINDS) expect(isHierarchicalKind(kind)).toBe(true);
  });
  it('follows the League ladder', () => {
    expect(canPlaceUnder('town_committee', 'district_committee')).toBe(true);
    expect(canPlaceUnder('village_branch', 'town_committee')).toBe(true);
    expect(canPlaceUnder('village_branch', 'district_committee')).toBe(false);
    expect(canPlaceUnder('town_committee', 'village_branch')).toBe(false);
  });
});

describe('roles and passwords', () => {
  it('never lets a role grant a wider one', () => {
    expect(canAssignRole('org_admin', 'grid_leader')).toBe(true);
    expect(canAssignRole('org_admin', 'district_admin')).toBe(false);
    expect(canAssignRole('district_admin', 'platform_admin')).toBe(false);
    expect(roleCan('grid_leader', 'org.write')).toBe(false);
    expect(roleCan('district_admin', 'audit.read')).toBe(true);
    expect(roleCan('org_admin', 'audit.read')).toBe(false);
  });
  it('requires 8+ characters with letters and digits', () => {
    expect(PasswordSchema.safeParse('abcdefg1').success).toBe(true);
    expect(PasswordSchema.safeParse('abcdefgh').success).toBe(false);
    expect(PasswordSchema.safeParse('12345678').success).toBe(false);
    expect(PasswordSchema.safeParse('abc1').success).toBe(false);
  });
});

describe('messages', () => {
  it('speaks Chinese unless English comes first', () => {
    expect(pickLang(undefined)).toBe('zh-CN');
    expect(pickLang('en-US,en;q=0.9')).toBe('en');
    expect(pickLang('zh-CN,en;q=0.5')).toBe('zh-CN');
  });
  it('names the limit that was broken', () => {
    expect(fieldIssueMessage({ code: 'too_big', origin: 'string', maximum: 100 }, 'zh-CN')).toBe('不能超过 100 个字符');
    expect(fieldIssueMessage({ code: 'too_big', origin: 'string', maximum: 100 }, 'en')).toBe('At most 100 characters');
  });
});
