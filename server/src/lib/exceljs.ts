import { createRequire, Module } from 'node:module';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJSType from 'exceljs';
import type * as Saxes from 'saxes';

/**
 * exceljs 4.4's streaming reader decodes each decompressed chunk to a string on its own
 * (lib/utils/parse-sax.js), so a UTF-8 character split across two chunks turns into "�" — for Chinese text, about one
 * cell in a few thousand (exceljs issues #2063, #2084, #2316; fix PRs #1665, #2081, #2894 unmerged). We measured it:
 * a 5,000-household import read "男" as "���". Until upstream fixes it, this module installs a parse-sax that decodes
 * with a StringDecoder (which carries partial characters over to the next chunk) *before* exceljs loads, and every
 * server module imports exceljs from here. The regression test is lib/exceljs.test.ts.
 */
const require = createRequire(import.meta.url);
const parseSaxPath = require.resolve('exceljs/lib/utils/parse-sax.js');
const { SaxesParser } = require('saxes') as typeof Saxes;

type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: unknown };

async function* parseSax(iterable: AsyncIterable<Buffer | string>): AsyncGenerator<SaxEvent[]> {
  const parser = new SaxesParser();
  const decoder = new StringDecoder('utf8');
  let error: Error | undefined;
  let events: SaxEvent[] = [];
  parser.on('error', (e) => { error = e; });
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.end();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

if (!require.cache[parseSaxPath]) {
  const m = new Module(parseSaxPath);
  m.filename = parseSaxPath;
  m.loaded = true;
  m.exports = parseSax;
  require.cache[parseSaxPath] = m;
}

const ExcelJS = require('exceljs') as typeof ExcelJSType;
export default ExcelJS;
