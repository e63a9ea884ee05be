package io.suho.client.analytics.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The text rules of ClickHouse's TabSeparated format: field escapes and array literals. Stateless. */
final class TsvText {

    private TsvText() {}

    /** TSV field text, with {@code \N} (alone) as null. */
    static String unescape(byte[] b, int from, int to) {
        if (to - from == 2 && b[from] == '\\' && b[from + 1] == 'N') {
            return null;
        }
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\') {
                escaped = true;
                break;
            }
        }
        if (!escaped) {
            return new String(b, from, to - from, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '\\' && i + 1 < to) {
                byte e = b[++i];
                out[n++] = switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case '0' -> 0;
                    default -> e;
                };
            } else {
                out[n++] = c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** Parses {@code [1,2]}, {@code ['a','b\'c']}, {@code [NULL,'x']}; nested arrays come back as text. */
    static List<String> parseArray(String v) {
        if (v.length() < 2 || v.charAt(0) != '[' || v.charAt(v.length() - 1) != ']') {
            throw new IllegalArgumentException("not an array literal");
        }
        List<String> out = new ArrayList<>();
        int i = 1;
        int end = v.length() - 1;
        while (i < end) {
            char c = v.charAt(i);
            if (c == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < end && v.charAt(i) != '\'') {
                    char ch = v.charAt(i);
                    if (ch == '\\' && i + 1 < end) {
                        char e = v.charAt(++i);
                        sb.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            case '0' -> '\0';
                            default -> e;
                        });
                    } else {
                        sb.append(ch);
                    }
                    i++;
                }
                out.add(sb.toString());
                i++; // closing quote
            } else if (c == '[') {
                int depth = 0;
                int start = i;
                boolean inStr = false;
                for (; i < end; i++) {
                    char ch = v.charAt(i);
                    if (inStr) {
                        if (ch == '\\') {
                            i++;
                        } else if (ch == '\'') {
                            inStr = false;
                        }
                    } else if (ch == '\'') {
                        inStr = true;
                    } else if (ch == '[') {
                        depth++;
                    } else if (ch == ']' && --depth == 0) {
                        i++;
                        break;
                    }
                }
                out.add(v.substring(start, i));
            } else {
                int start = i;
                while (i < end && v.charAt(i) != ',') {
                    i++;
                }
                String tok = v.substring(start, i).trim();
                out.add("NULL".equals(tok) ? null : tok);
            }
            if (i < end && v.charAt(i) == ',') {
                i++;
            }
        }
        return out;
    }
}
