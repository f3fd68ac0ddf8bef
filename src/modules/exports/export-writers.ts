import { once } from "node:events";
import type { WriteStream } from "node:fs";
import ExcelJS from "exceljs";
import { CSV_BOM, csvLine } from "./csv.js";
import type { Cell } from "./order-export.columns.js";

export const exportFormats = ["CSV", "XLSX"] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Writes the rows of one export file. Rows go out as they come, so memory does not grow with the file. */
export interface ExportWriter {
  writeRow(cells: readonly Cell[]): Promise<void>;
  /** Flush everything and close the file. */
  finish(): Promise<void>;
}

/** About 64 KB of text is collected before a write, so the file gets few large writes. */
const CSV_CHUNK_CHARACTERS = 64 * 1024;

/** UTF-8 CSV with a byte order mark and CRLF line ends. */
export function csvWriter(file: WriteStream): ExportWriter {
  let pending = CSV_BOM;

  const flush = async () => {
    if (pending === "") return;
    const chunk = pending;
    pending = "";
    if (!file.write(chunk)) await once(file, "drain");
  };

  return {
    async writeRow(cells) {
      pending += csvLine(cells);
      if (pending.length >= CSV_CHUNK_CHARACTERS) await flush();
    },
    async finish() {
      await flush();
      file.end();
      await once(file, "finish");
    },
  };
}

/**
 * XLSX through exceljs's streaming WorkbookWriter: each row is committed (serialised and handed to the
 * zip stream) as soon as it is added. Shared strings and styles are off, because both are kept in
 * memory until the end. Text cells are stored as strings, never as formulas.
 */
export function xlsxWriter(file: WriteStream, sheetName: string): ExportWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  let rowsSinceCheck = 0;

  return {
    async writeRow(cells) {
      sheet.addRow([...cells]).commit();
      // The zip stream does not wait for the file, so let the file catch up now and then.
      rowsSinceCheck += 1;
      if (rowsSinceCheck >= 500) {
        rowsSinceCheck = 0;
        if (file.writableNeedDrain) await once(file, "drain");
      }
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
      if (!file.writableFinished) await once(file, "finish");
    },
  };
}
