/**
 * A grid's header and row heights in the window's theme, to size a box to a few rows. Apart
 * from Grid.tsx so a view can size its box without loading AG Grid's code.
 */
export const GRID_HEADER_PX = 48;
export const GRID_ROW_PX = 32;
