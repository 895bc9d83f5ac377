// The scenario editor: CodeMirror 6 with YAML highlighting, inline errors from the same zod schema and the same
// line-numbered messages as `lbsim validate`, and completion of field names from the JSON Schema that
// `lbsim schema` writes (the schema is generated from the zod schema, the only home of fields and defaults).
import { autocompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { yaml } from "@codemirror/lang-yaml";
import { type Diagnostic, linter, lintGutter } from "@codemirror/lint";
import { EditorView, basicSetup } from "codemirror";
import { keyPathAt, SchemaCompleter, scenarioIssues } from "../schema-completion.js";

export interface ScenarioEditor {
  view: EditorView;
  text(): string;
  setText(text: string): void;
}

export function createEditor(parent: HTMLElement, fileName: () => string, onChange: (text: string) => void): ScenarioEditor {
  const completer = new SchemaCompleter();
  const complete = (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/[\w.-]*/);
    if (word === null || (word.from === word.to && !context.explicit)) return null;
    const line = context.state.doc.lineAt(context.pos);
    // Only keys: nothing after a colon on this line.
    if (line.text.slice(0, context.pos - line.from).includes(":")) return null;
    const options = completer.fieldsAt(keyPathAt(context.state.doc.toString(), word.from)).map((f) => ({ label: f.label, type: "property", info: f.info, apply: `${f.label}: ` }));
    return options.length === 0 ? null : { from: word.from, options, validFor: /^[\w.-]*$/ };
  };
  const lint = linter((view): Diagnostic[] => {
    const doc = view.state.doc;
    return scenarioIssues(doc.toString(), fileName()).map((issue) => {
      const line = doc.line(Math.min(Math.max(1, issue.line), doc.lines));
      const from = Math.min(line.to, line.from + Math.max(0, issue.column - 1));
      return { from, to: Math.max(from, line.to), severity: "error", message: `${issue.path === "" ? "" : `${issue.path}: `}${issue.message}` };
    });
  }, { delay: 400 });
  const view = new EditorView({
    parent,
    extensions: [
      basicSetup, yaml(), lintGutter(), lint, autocompletion({ override: [complete] }),
      EditorView.updateListener.of((update) => { if (update.docChanged) onChange(update.state.doc.toString()); }),
      EditorView.theme({ "&": { height: "100%", fontSize: "13px" }, ".cm-scroller": { fontFamily: "ui-monospace, 'DejaVu Sans Mono', monospace" } }),
    ],
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
  };
}
