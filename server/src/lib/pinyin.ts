import { pinyin } from 'pinyin-pro';

/** Lowercase pinyin initials ("克井镇" → "kjz") and full pinyin ("kejingzhen") for search. */
export function pinyinKeys(text: string): { initials: string; full: string } {
  return {
    initials: pinyin(text, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase(),
    full: pinyin(text, { toneType: 'none', type: 'array' }).join('').toLowerCase(),
  };
}

export function initials(text: string): string {
  return pinyin(text, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase();
}
