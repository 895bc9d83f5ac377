// The CLI's tables are the report layer's, so a table printed and a table written to a file are one code.
export { formatNumber, formatTable } from "../report/text-table.js";
