/**
 * Emoji and emoticons as finance Reddit uses them. 🚀 and 💎🙌 are bullish
 * conviction, 🌈🐻 is a jab at bears, 🤡 and 💀 mock a bad trade, 😭 is a loss
 * more often than joy. Laughing faces are left near zero: on WSB they mock as
 * often as they celebrate.
 *
 * Keyed by the emoji's base code point. The tokenizer drops variation
 * selectors, zero-width joiners and skin-tone modifiers, so "❤️" and "❤" and
 * "👍🏽" and "👍" score the same.
 */
export const EMOJI: Readonly<Record<string, number>> = Object.freeze({
  '🚀': 2.5, '🌙': 2, '🌕': 2, '🌝': 2, '💎': 1.5, '🙌': 1.5, '📈': 2, '📉': -2,
  '🐂': 1.5, '🐃': 1.5, '🐻': -1.5, '🧸': -1, '🤡': -1.5, '💀': -1.5, '☠': -2, '⚰': -2.5, '🪦': -2.5,
  '🔥': 1.5, '😭': -1.5, '😢': -2, '😥': -1.5, '😞': -2, '😔': -1.5, '😟': -1.5, '🙁': -1.5, '☹': -2,
  '😡': -2.5, '😠': -2, '🤬': -2.5, '😱': -2, '😨': -2, '😰': -2, '😩': -2, '😫': -2, '😖': -2,
  '😬': -1, '🥲': -1, '🫠': -1, '🥴': -1, '😤': -1, '💔': -2.5, '🤮': -2.5, '🤢': -2, '💩': -2.5, '🗑': -2,
  '🧻': -1.5, '🩸': -2, '🔴': -1.5, '🔻': -1.5, '⬇': -1, '👎': -1.5, '❌': -1, '⚠': -1.5, '🆘': -2, '🚨': -0.5,
  '💸': -1, '📛': -1, '🤦': -1.5, '🙄': -1,
  '🍗': 2, '💰': 2, '💵': 1.5, '🤑': 2.5, '🦍': 0.5, '🟢': 1.5, '🔺': 1.5, '⬆': 1, '✅': 1, '👍': 1.5,
  '😀': 2, '😃': 2, '😄': 2, '😁': 2, '😊': 2, '🙂': 1, '😎': 1.5, '🥳': 2.5, '🎉': 2, '🎊': 2,
  '🏆': 2, '🥇': 2, '💪': 1.5, '🙏': 0.5, '❤': 2, '💚': 1.5, '💯': 1.5, '🍾': 2, '🥂': 2, '🤩': 2.5,
  '😍': 2.5, '🤞': 0.5, '👏': 1.5, '✨': 1, '💥': 0.5, '⭐': 1, '🌟': 1.5, '😂': 0.5, '🤣': 0.5,
  '😆': 1, '😅': 0, '🌈': 0,
  // 🙃 is the sarcasm face ("my portfolio loves you 🙃"), 🖨 the money printer
  '🙃': -1, '🖨': 1.5,
});

/** ASCII emoticons, matched where the tokenizer meets ':', ';', '<' or 'x'. */
export const EMOTICONS: Readonly<Record<string, number>> = Object.freeze({
  ':)': 2, ':-)': 2, ':d': 2, ':-d': 2, ';)': 1, ';-)': 1, ':p': 1, '<3': 2,
  ':(': -2, ':-(': -2, ":'(": -2, ':/': -1, ':-/': -1, ':|': 0,
});

/** Emoji that mock what they stand next to: a cue of irony (irony.ts), like "great," opening a sentence. */
export const IRONY_EMOJI: readonly string[] = ['🙃', '🤡'];
