import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvRow } from '../../src/report/csv.js';

describe('csv', () => {
  it('quotes per RFC 4180 and ends rows with CRLF', () => {
    assert.equal(csvRow(['a', 'b,c', 'say "hi"', 'two\nlines', 3, null]), 'a,"b,c","say ""hi""","two\nlines",3,\r\n');
  });
  it('neutralises cells a spreadsheet would run as a formula, not numbers', () => {
    assert.equal(csvRow(['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', -2]), `"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1),-2\r\n`);
  });
});
