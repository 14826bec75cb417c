/**
 * One problem with one field of one row, as stored on error rows and shown in previews.
 * `field` is the target column. Stages match the ErrorStage enum of the metadata DB.
 */
export interface FieldError {
  stage: 'transform' | 'validate';
  field: string;
  code: string;
  message: string;
}
