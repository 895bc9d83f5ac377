// The notebook's front matter: its title, the question it answers (as an interviewer would ask it) and optional
// tags for the index page. Read with the same positioned YAML as the blocks, so a mistake names its line.
import { z } from "zod";
import { readBlockYaml, validateBlock } from "./block-yaml.js";

export const frontMatterSchema = z.strictObject({
  title: z.string().trim().min(1),
  question: z.string().trim().min(1),
  tags: z.array(z.string().min(1)).optional(),
});

export type FrontMatter = z.output<typeof frontMatterSchema>;

export function parseFrontMatter(text: string, line: number, file: string): FrontMatter {
  const block = readBlockYaml({ label: "front matter", text, line: line - 1, contentLine: line }, file);
  return validateBlock(block, frontMatterSchema, block.value);
}
