/** The parts of `<messaging-composer>` that containers re-export (`base` is its layout row, kept inside). */
export const COMPOSER_PARTS = ['textarea', 'send-button', 'counter'] as const;
