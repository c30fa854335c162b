// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain text columns, each as wide as its widest cell, two blanks apart, no trailing blanks: what the shell
 * commands print. Not thread-safe; one per command call.
 */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    /**
     * @throws IllegalArgumentException if the row has not one cell per column
     */
    TextTable row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    /** The header and the rows, lines separated by {@code \n}, without a trailing line break. */
    @Override
    public String toString() {
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(c == 0 ? "" : "  ").append(row[c]).append(" ".repeat(width[c] - row[c].length()));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString().stripTrailing();
    }
}
