/** The bench's text clean, shared by its local phases and its in-database ones. */
import { z } from 'zod';
import { Step } from '../../src-shared/recipe/steps';

/** trim, nullify, the two date renderings and the "$1,234.50 " prices of the bench file. */
export const TEXT_CLEAN = z.array(Step).parse([
  { step: 'trim' },
  { step: 'nullify' },
  {
    step: 'parse_dates',
    columns: ['Order Date', 'Delivery Date'],
    formats: ['M/d/yyyy', 'MM-dd-yyyy'],
  },
  { step: 'parse_numbers', columns: ['Unit Price'], on_invalid: 'null' },
]);
