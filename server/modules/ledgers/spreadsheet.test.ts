/** Reading .xlsx ledgers whatever the order of the entries inside the zip. */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
// exceljs's own zip library (a dependency of exceljs), used here only to rewrite a test file's entry order.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { readSheet, type SheetRow } from './spreadsheet.ts';

async function ledger(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(['姓名', '出生日期', '手机号']);
  for (let i = 0; i < 50; i++) ws.addRow([`青年${i}`, '2000-01-02', `1390000${String(i).padStart(4, '0')}`]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The same zip with the workbook part after the sheets but the relationships and shared strings before them: the
 * order in which exceljs's streaming reader meets a sheet before knowing the workbook (its own writer, appending
 * entries concurrently, sometimes produces it; the format allows any order).
 */
async function workbookLast(file: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(file);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
  const first = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml'];
  expect(names).toEqual(expect.arrayContaining([...first, 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']));
  const sheets = names.filter((n) => n.startsWith('xl/worksheets/'));
  const rest = names.filter((n) => !first.includes(n) && !sheets.includes(n));
  const out = new JSZip();
  for (const n of [...first, ...sheets, ...rest]) out.file(n, await zip.files[n].async('nodebuffer'));
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function rows(file: Buffer): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const row of readSheet(Readable.from([file]), 'xlsx')) out.push(row);
  return out;
}

describe('xlsx reading', () => {
  it('reads a file whose workbook part comes after its sheets exactly like the usual order', async () => {
    const file = await ledger();
    const usual = await rows(file);
    expect(usual).toHaveLength(51);
    expect(usual[1].cells[0]).toEqual({ text: '青年0', kind: 'text' });
    expect(await rows(await workbookLast(file))).toEqual(usual);
  });
});
