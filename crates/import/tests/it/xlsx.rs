//! XLSX workbooks made at test time with `rust_xlsxwriter`, so that every workbook fixture is
//! reviewable as text: a CSV file holding the grid of cells the workbook's sheet holds.

use rust_xlsxwriter::Workbook;

/// Whether a cell is written as a number, as the tools' own workbooks hold ids, ranks and
/// scores: plain decimal numbers without a leading zero or sign.
fn is_number(cell: &str) -> bool {
    !cell.is_empty()
        && cell
            .bytes()
            .all(|byte| byte.is_ascii_digit() || byte == b'.')
        && (cell == "0" || !cell.starts_with('0'))
        && cell.parse::<f64>().is_ok()
}

/// A workbook whose first sheet, named `sheet`, holds `rows` from cell A1 on; further empty
/// sheets named `extra_sheets` follow it. Numbers are written as numbers, everything else as
/// text (never as a formula, even when it starts with `=`), and empty cells are left out.
pub fn workbook(sheet: &str, rows: &[Vec<String>], extra_sheets: &[&str]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet).unwrap();
    for (row, cells) in rows.iter().enumerate() {
        let row = u32::try_from(row).unwrap();
        for (column, cell) in cells.iter().enumerate() {
            let column = u16::try_from(column).unwrap();
            if cell.is_empty() {
                continue;
            }
            if is_number(cell) {
                worksheet
                    .write_number(row, column, cell.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                worksheet.write_string(row, column, cell).unwrap();
            }
        }
    }
    for name in extra_sheets {
        workbook.add_worksheet().set_name(*name).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

/// The rows of a CSV grid.
pub fn grid_of(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The workbook a fixture's grid describes, on a sheet named `sheet`.
pub fn workbook_fixture(name: &str, sheet: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(crate::fixture(name)).unwrap();
    workbook(sheet, &grid_of(&text), &[])
}
