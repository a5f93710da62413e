import type { Readable } from 'node:stream';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { workLedgerOf } from '../people/cadres.service.ts';
import { safeCell, streamingWorkbook } from './spreadsheet.ts';

const POSTS: Record<string, [string, string]> = {
  grid_leader: ['网格长', 'Grid leader'],
  contact_person: ['联络员', 'Contact person'],
  group_admin: ['群管理员', 'Group admin'],
  instructor: ['指导员', 'Instructor'],
  secretary: ['书记', 'Secretary'],
  other: ['其他', 'Other'],
};
const CHANNELS: Record<string, [string, string]> = {
  phone: ['电话', 'Phone'],
  wechat: ['微信', 'WeChat'],
  qq: ['QQ', 'QQ'],
  face_to_face: ['面谈', 'In person'],
  activity: ['活动', 'Activity'],
  other: ['其他', 'Other'],
};
const KINDS: Record<string, [string, string]> = {
  person: ['青年', 'Youth'],
  enterprise: ['企业', 'Enterprise'],
  organisation: ['组织', 'Organisation'],
};

/**
 * 工作台账 one cadre's work ledger as .xlsx: his posts and trainings, his 1+100 list with the last contact,
 * the whole contact log and the visits he made with the demands collected. Names only — no identifiers.
 * Text cells that look like formulas are escaped.
 */
export async function exportWorkLedger(database: Database, actor: Actor, personId: number): Promise<Readable> {
  const { cadre, logs, visits } = await workLedgerOf(database, actor, personId);
  const en = actor.lang === 'en';
  const L = (pair: [string, string] | undefined, raw: string) => (pair ? pair[en ? 1 : 0] : raw);
  const { workbook, output } = streamingWorkbook();
  (async () => {
    const info = workbook.addWorksheet(en ? 'Cadre' : '基本情况');
    info.columns = [
      { header: en ? 'Item' : '项目', key: 'k', width: 18 },
      { header: en ? 'Value' : '内容', key: 'v', width: 48 },
    ];
    for (const [k, v] of [
      [en ? 'Name' : '姓名', cadre.name],
      [en ? 'Organisation' : '所属组织', cadre.homeGrid?.name ?? cadre.org.name],
      [en ? 'Posts' : '职务', cadre.posts.map((p) => L(POSTS[p], p)).join('、')],
      [en ? 'Youth contacted' : '联系青年', `${cadre.contacts}/100`],
      [
        en ? 'Contacted this quarter' : '本季度已联系',
        `${cadre.contactedThisQuarter}（${cadre.quarter.from} – ${cadre.quarter.to}）`,
      ],
    ] as const)
      info.addRow({ k, v: safeCell(v) }).commit();
    info.addRow({}).commit();
    info.addRow({ k: en ? 'Trainings' : '培训记录' }).commit();
    for (const t of cadre.trainingList)
      info
        .addRow({ k: t.heldOn, v: safeCell(`${t.title}${t.hours ? `（${t.hours}${en ? ' h' : ' 学时'}）` : ''}`) })
        .commit();
    info.commit();

    const list = workbook.addWorksheet(en ? '1+100 list' : '联系名单');
    list.columns = [
      { header: en ? 'Youth' : '青年', key: 'name', width: 16 },
      { header: en ? 'Grid / organisation' : '网格/组织', key: 'place', width: 24 },
      { header: en ? 'Last contact' : '最近联系', key: 'last', width: 14 },
      { header: en ? 'This quarter' : '本季度', key: 'q', width: 10 },
    ];
    for (const c of cadre.contactList)
      list
        .addRow({
          name: safeCell(c.name),
          place: safeCell(c.homeGrid?.name ?? c.org.name),
          last: c.lastContactOn ?? '',
          q: c.lastContactOn && c.lastContactOn >= cadre.quarter.from ? (en ? 'yes' : '已联系') : en ? 'no' : '未联系',
        })
        .commit();
    list.commit();

    const log = workbook.addWorksheet(en ? 'Contact log' : '联系记录');
    log.columns = [
      { header: en ? 'Date' : '日期', key: 'on', width: 12 },
      { header: en ? 'Youth' : '青年', key: 'name', width: 16 },
      { header: en ? 'Channel' : '方式', key: 'channel', width: 10 },
      { header: en ? 'Note' : '备注', key: 'note', width: 48 },
    ];
    for (const l of logs)
      log
        .addRow({
          on: l.contactedOn,
          name: safeCell(l.person.name),
          channel: L(CHANNELS[l.channel], l.channel),
          note: safeCell(l.note),
        })
        .commit();
    log.commit();

    const vs = workbook.addWorksheet(en ? 'Visits' : '走访记录');
    vs.columns = [
      { header: en ? 'Date' : '日期', key: 'on', width: 12 },
      { header: en ? 'Visited' : '对象类型', key: 'kind', width: 10 },
      { header: en ? 'Whom' : '对象', key: 'whom', width: 22 },
      { header: en ? 'Notes' : '走访情况', key: 'notes', width: 48 },
      { header: en ? 'Demands' : '收集的诉求', key: 'demands', width: 40 },
    ];
    for (const v of visits)
      vs.addRow({
        on: v.visitedOn,
        kind: L(KINDS[v.targetKind], v.targetKind),
        whom: safeCell(v.person?.name ?? v.targetName),
        notes: safeCell(v.notes),
        demands: safeCell(v.demands.map((d) => d.text).join('；')),
      }).commit();
    vs.commit();
    await workbook.commit();
  })().catch((err) => output.destroy(err));
  return output;
}
