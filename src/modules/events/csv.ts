// Event exports write CSV exactly as order exports do, so both escape the same cells.
export { CSV_BOM, csvCell, csvLine } from "../exports/csv.js";
