import { sendKeys } from '@web/test-runner-commands';

/** Real key presses through the browser (puppeteer knows no "Shift+Enter" chord). */
export async function shiftEnter(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Enter' });
  await sendKeys({ up: 'Shift' });
}

export { sendKeys };
