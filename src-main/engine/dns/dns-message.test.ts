import { describe, expect, it } from 'vitest';
import { buildQuery, buildResponse, DnsFormatError, encodeName, parseQuery, parseResponse, readName, RCODE_NXDOMAIN, TYPE_A, TYPE_AAAA, TYPE_CNAME } from './dns-message';

describe('dns-message', () => {
  it('round-trips a query and a response with A and CNAME answers', () => {
    const q = parseQuery(buildQuery(0xbeef, 'Web.Default.svc.cluster.local.', TYPE_A));
    expect(q).toMatchObject({ id: 0xbeef, opcode: 0, recursionDesired: true, isResponse: false, questionCount: 1, question: { name: 'web.default.svc.cluster.local', type: TYPE_A, class: 1 } });
    const r = parseResponse(
      buildResponse(q, {
        rcode: 0,
        authoritative: true,
        answers: [
          { name: q.question.name, type: TYPE_A, ttl: 0, data: '172.18.0.5' },
          { name: 'alias.example', type: TYPE_CNAME, ttl: 30, data: 'target.example' },
        ],
      }),
    );
    expect(r).toEqual({
      id: 0xbeef,
      rcode: 0,
      authoritative: true,
      answers: [
        { name: 'web.default.svc.cluster.local', type: TYPE_A, ttl: 0, data: '172.18.0.5' },
        { name: 'alias.example', type: TYPE_CNAME, ttl: 30, data: 'target.example' },
      ],
    });
    expect(parseResponse(buildResponse(q, { rcode: RCODE_NXDOMAIN })).rcode).toBe(RCODE_NXDOMAIN);
  });

  it('follows compression pointers and refuses loops', () => {
    // header + "a.b" at 12, then a name "x" + pointer to 12
    const buf = Buffer.concat([Buffer.alloc(12), Buffer.from([1, 97, 1, 98, 0]), Buffer.from([1, 120, 0xc0, 12])]);
    expect(readName(buf, 17)).toEqual({ name: 'x.a.b', next: 21 });
    const loop = Buffer.concat([Buffer.alloc(12), Buffer.from([0xc0, 12])]);
    expect(() => readName(loop, 12)).toThrow(/loop/);
  });

  it('rejects garbage with DnsFormatError', () => {
    expect(() => parseQuery(Buffer.from([1, 2, 3]))).toThrow(DnsFormatError);
    const noQuestion = Buffer.alloc(12);
    expect(() => parseQuery(noQuestion)).toThrow(/without a question/);
    const cut = buildQuery(1, 'example.com', TYPE_AAAA).subarray(0, 20);
    expect(() => parseQuery(cut)).toThrow(DnsFormatError);
    const badLabel = Buffer.concat([Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([0x40, 0])]);
    expect(() => parseQuery(badLabel)).toThrow(/unsupported label type/);
    expect(() => encodeName(`${'a'.repeat(64)}.com`)).toThrow(DnsFormatError);
    expect(() => buildResponse({ id: 1, opcode: 0, recursionDesired: false }, { rcode: 0, answers: [{ name: 'x', type: TYPE_A, ttl: 0, data: '300.1.1.1' }] })).toThrow(/not an IPv4/);
  });
});
