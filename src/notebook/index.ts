// Teaching notebooks: Markdown lessons whose ```lbsim blocks run scenarios and whose numbers come from the runs.
export { DEFAULT_NOTEBOOK_DIR, notebookPagePath, renderNotebook, runNotebook, writeNotebookPages, type NotebookOptions, type NotebookResult, type RenderedNotebook } from "./run-notebook.js";
export { renderNotebookIndex, type IndexEntry } from "./notebook-index.js";
export type { NotebookExpectation } from "./expect-block.js";
export type { FrontMatter } from "./front-matter.js";
