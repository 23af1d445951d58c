/** Today's calendar date (YYYY-MM-DD) in Asia/Shanghai: the date a village office writes on a record, whatever the server's zone. */
export function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}
