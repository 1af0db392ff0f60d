import { describe, expect, it } from 'vitest';
import { toDot, toJson, toMermaid } from '../../../src/graph/index.js';
import { smallStack, stack, task } from './fixtures.js';

describe('toDot', () => {
  it('draws a small stack with colours by ready strategy, a dashed oneshot, edge conditions and a legend', () => {
    expect(toDot(smallStack(), { detailed: false })).toBe(`digraph ignite {
  graph [fontname="Helvetica"];
  node [fontname="Helvetica", shape=box, style="rounded,filled"];
  edge [fontname="Helvetica", fontsize=10];
  "db" [label="db\\nPostgres", fillcolor="lightblue"];
  "migrate" [label="migrate", fillcolor="white", style="rounded,filled,dashed"];
  "api" [label="api (2 replicas)", fillcolor="lavender"];
  "migrate" -> "db";
  "api" -> "db" [label="restart", style="bold"];
  "api" -> "migrate" [label="completed"];
  subgraph cluster_legend {
    label="ready strategy"; fontsize=10; style="rounded"; color="grey";
    node [fontsize=10];
    "legend:tcp" [label="tcp", fillcolor="lightblue"];
    "legend:http" [label="http", fillcolor="lavender"];
    "legend:none" [label="none (spawned)", fillcolor="white"];
    "legend:oneshot" [label="oneshot", fillcolor="white", style="rounded,filled,dashed"];
  }
}
`);
  });

  it('adds the ready strategy and a tooltip with command, readiness, restart and stop when detailed', () => {
    const dot = toDot(smallStack(), { detailed: true });
    expect(dot).toContain(
      `"db" [label="db\\nPostgres\\nready: tcp:5432", fillcolor="lightblue", tooltip="command: postgres -D 'data dir'\\nready: tcp:5432 (timeout 1m0s)\\nrestart: on-failure, max 10, backoff 100ms..30s\\nstop: SIGTERM, timeout 10s"];`,
    );
    expect(dot).toContain(
      `"migrate" [label="migrate\\nready: spawned", fillcolor="white", style="rounded,filled,dashed", tooltip="command: npm run migrate\\nready: spawned (timeout 1m0s)\\nrestart: never\\nstop: SIGTERM, timeout 10s\\noneshot"];`,
    );
  });

  it('escapes quotes, backslashes, entities and line breaks in descriptions and commands', () => {
    const hostile = task('x', {
      description: 'say "hi" \\N & <b>&lt;\r\nline two\t"];\n}',
      command: { kind: 'shell', script: 'echo "a\\b" && cat </dev/null' },
    });
    const dot = toDot(stack([hostile]), { detailed: true });
    expect(dot).toContain(`[label="x\\nsay \\"hi\\" \\\\N &amp; <b>&amp;lt;\\nline two \\"];\\n}\\nready: spawned"`);
    expect(dot).toContain(`tooltip="command: echo \\"a\\\\b\\" &amp;&amp; cat </dev/null\\n`);
  });

  it('lists in the legend only the strategies in use and groups function with plugin', () => {
    const dot = toDot(
      stack([
        task('a', { ready: { kind: 'function', fn: () => true, label: 'probe' } }),
        task('b', { ready: { kind: 'plugin', name: 'redis', params: {} } }),
        task('c', { ready: { kind: 'all', strategies: [{ kind: 'pipe' }] } }),
      ]),
      { detailed: false },
    );
    const legend = dot.slice(dot.indexOf('subgraph'));
    expect(legend.match(/"legend:[a-z]+"/g)).toEqual(['"legend:fn"', '"legend:combo"']);
    expect(legend).toContain('label="function/plugin", fillcolor="plum"');
  });

  it('leaves out dependencies on unknown tasks', () => {
    expect(toDot(stack([task('a', { dependsOn: ['ghost'] })]), { detailed: false })).not.toContain('ghost');
  });
});

describe('toMermaid', () => {
  it('draws a small stack as a flowchart with classes per ready strategy and a stadium for oneshots', () => {
    expect(toMermaid(smallStack())).toBe(`flowchart TD
  t0("db<br/>Postgres")
  t1(["migrate"])
  t2("api (2 replicas)")
  t1 --> t0
  t2 ==>|restart| t0
  t2 -->|completed| t1
  classDef ready_tcp fill:lightblue,stroke:#333
  class t0 ready_tcp
  classDef ready_http fill:lavender,stroke:#333
  class t2 ready_http
  classDef ready_none fill:white,stroke:#333
  class t1 ready_none
`);
  });

  it('escapes characters that would end a label', () => {
    const mermaid = toMermaid(stack([task('end', { description: 'a "b" <c> & #d |e|\nf' })]));
    expect(mermaid).toContain('t0("end<br/>a #quot;b#quot; #lt;c#gt; #amp; #35;d #124;e#124;<br/>f")');
  });
});

describe('toJson', () => {
  it('lists nodes, edges and start waves', () => {
    expect(toJson(smallStack())).toEqual({
      nodes: [
        { name: 'db', description: 'Postgres', oneshot: false, ready: 'tcp:5432', tags: [], autostart: true, replicas: 1 },
        { name: 'migrate', description: null, oneshot: true, ready: 'spawned', tags: [], autostart: true, replicas: 1 },
        { name: 'api', description: null, oneshot: false, ready: 'http:http://localhost:3000/health', tags: ['backend'], autostart: true, replicas: 2 },
      ],
      edges: [
        { from: 'migrate', to: 'db', condition: 'ready', restart: false },
        { from: 'api', to: 'db', condition: 'ready', restart: true },
        { from: 'api', to: 'migrate', condition: 'completed', restart: false },
      ],
      waves: [['db'], ['migrate'], ['api']],
    });
  });

  it('gives no waves for a cyclic stack instead of throwing', () => {
    expect(toJson(stack([task('a', { dependsOn: ['b'] }), task('b', { dependsOn: ['a'] })])).waves).toEqual([]);
  });
});
