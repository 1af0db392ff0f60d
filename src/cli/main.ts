#!/usr/bin/env node
process.stdout.write('ignite: not built yet\n');
