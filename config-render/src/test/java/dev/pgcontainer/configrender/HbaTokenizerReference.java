package dev.pgcontainer.configrender;

import java.util.ArrayList;
import java.util.List;

/**
 * How PostgreSQL 15 splits a pg_hba.conf / pg_ident.conf line into tokens, transcribed from
 * next_token() in hba.c: blanks and commas separate, '#' starts a comment, double quotes protect,
 * two double quotes inside quotes make one.
 */
final class HbaTokenizerReference {

  /**
   * @param text the token's text
   * @param quoted whether it began with a double quote, which makes keywords, '+' and '@' plain
   *     text
   */
  record Token(String text, boolean quoted) {}

  private HbaTokenizerReference() {}

  static List<Token> tokenize(String line) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (true) {
      while (i < line.length() && (isBlank(line.charAt(i)) || line.charAt(i) == ',')) {
        i++;
      }
      if (i >= line.length() || line.charAt(i) == '#') {
        return tokens;
      }
      StringBuilder text = new StringBuilder();
      boolean inQuote = false;
      boolean wasQuote = false;
      boolean initialQuote = false;
      while (i < line.length() && (!isBlank(line.charAt(i)) || inQuote)) {
        char c = line.charAt(i);
        if (c == '#' && !inQuote) {
          i = line.length();
          break;
        }
        if (c == ',' && !inQuote) {
          break;
        }
        if (c != '"' || wasQuote) {
          text.append(c);
        }
        wasQuote = inQuote && c == '"' && !wasQuote;
        if (c == '"') {
          inQuote = !inQuote;
          if (text.length() == 0) {
            initialQuote = true;
          }
        }
        i++;
      }
      tokens.add(new Token(text.toString(), initialQuote));
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }
}
