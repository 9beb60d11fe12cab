#!/usr/bin/env node
/**
 * scripts/sizes.mjs: the size figures of issue 17 — the longest functions and the largest
 * files under src/ (lines, as the TypeScript compiler API sees them). A function is any
 * function declaration, expression, arrow, method or accessor; its length is from its first
 * to its last line. Nested functions count on their own too (an outer closure's length
 * includes its inner functions: that is the figure the issue is about).
 *
 *   node scripts/sizes.mjs            top 10 of each, and the counts over the limits
 *   node scripts/sizes.mjs --json     the same as JSON
 *   node scripts/sizes.mjs --check    exit 1 when a function > 250 lines or a file > 600
 *
 * The limits are a build error: test/lint/sizes.test.ts imports `measureSizes` and fails
 * when anything under src/ is over them (and proves it can, on generated files).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FN_LIMIT = 250;
export const FILE_LIMIT = 600;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * Measures every source file under `dir` (default: the repository's src/); paths in the
 * answer are relative to `root` (default: the repository).
 */
export function measureSizes({ dir = join(ROOT, 'src'), root = ROOT } = {}) {
  const files = [];
  const functions = [];
  for (const path of walk(dir)) {
    const text = readFileSync(path, 'utf8');
    const rel = relative(root, path);
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    files.push({ file: rel, lines });
    const kind = path.endsWith('x') ? ts.ScriptKind.TSX : path.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        let name = node.name && ts.isIdentifier(node.name) ? node.name.text : '';
        if (!name && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name))
          name = node.parent.name.text;
        if (!name && ts.isPropertyAssignment(node.parent)) name = node.parent.name.getText(sf);
        functions.push({ file: rel, name: name || '(anonymous)', line: start + 1, lines: end - start + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  files.sort((a, b) => b.lines - a.lines);
  functions.sort((a, b) => b.lines - a.lines);
  return {
    files: files.length,
    longestFunctions: functions.slice(0, 10),
    largestFiles: files.slice(0, 10),
    functionsOver: functions.filter((f) => f.lines > FN_LIMIT),
    filesOver: files.filter((f) => f.lines > FILE_LIMIT),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = measureSizes();
  if (process.argv.includes('--json')) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`${report.files} files under src/`);
    console.log(`longest functions (limit ${FN_LIMIT}):`);
    for (const f of report.longestFunctions)
      console.log(`  ${String(f.lines).padStart(5)}  ${f.file}:${f.line} ${f.name}`);
    console.log(`largest files (limit ${FILE_LIMIT}):`);
    for (const f of report.largestFiles) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}`);
    console.log(
      `functions over ${FN_LIMIT}: ${report.functionsOver.length}; files over ${FILE_LIMIT}: ${report.filesOver.length}`,
    );
  }
  if (process.argv.includes('--check') && (report.functionsOver.length > 0 || report.filesOver.length > 0))
    process.exit(1);
}
