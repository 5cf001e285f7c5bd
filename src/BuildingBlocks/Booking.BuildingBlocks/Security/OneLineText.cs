using System.Globalization;
using System.Text;
using FluentValidation;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// Names (a client's, a pet's, the business's, a staff member's, a service's, a diary's) are one line of text: they go into email subjects and headers, .ics fields and
/// one-line page layouts, where a line break or a control character splits or corrupts what they land in. They are also
/// read by people, so they hold something visible and no invisible formatting: a name made of a zero-width space or a
/// Hangul filler shows staff a blank, and a right-to-left override ("Bob\u202Egnp.exe") shows text other than what is stored.
/// Free text of several lines (notes, reasons) keeps to the same rule but for line breaks and tabs (<see cref="MultiLine{T}"/>).
/// </summary>
public static class OneLineText
{
    public const string LineMessage = "Use one line, without line breaks or control characters.";

    public const string FormatMessage = "Remove the invisible formatting characters (such as zero-width spaces or text-direction marks).";

    /// <summary>A note's or reason's control character other than a line break or a tab (<see cref="MultiLineProblem"/>).</summary>
    public const string ControlMessage = "Remove the control characters (line breaks and tabs are fine).";

    public const string BlankMessage = "Enter visible text, not only spaces or invisible characters.";

    /// <summary>
    /// Letters that show nothing (Hangul fillers, the Braille blank, a musical null notehead): they count as letters or
    /// symbols, so a name of them alone looks filled in to every other rule.
    /// </summary>
    private static readonly HashSet<int> Fillers = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x1D159];

    /// <summary>True for null or text without control characters (C0, DEL, C1), Unicode line or paragraph separators, or invisible formatting characters (<see cref="IsFormatAllowed"/>).</summary>
    public static bool IsOneLine(string? value) => Problem(value) is not (LineMessage or FormatMessage or WellFormedText.Message);

    /// <summary>
    /// False only for text that is more than spaces yet shows nothing: every character a space, a formatting
    /// character, a mark with nothing to sit on or a <see cref="Fillers">filler</see>. Null, empty and
    /// space-only text are left to the field's own "enter …" rule.
    /// </summary>
    public static bool HasVisibleText(string? value) =>
        string.IsNullOrWhiteSpace(value) || value.EnumerateRunes().Any(IsVisible);

    /// <summary>
    /// What is wrong with a one-line text (one message: the first rule it breaks), or null. Text that is not text at all
    /// (U+FFFE, half a surrogate pair: <see cref="WellFormedText"/>) first.
    /// </summary>
    public static string? Problem(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!WellFormedText.IsWellFormed(value))
        {
            return WellFormedText.Message;
        }

        var runes = value.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029)
            {
                return LineMessage;
            }
        }

        for (var i = 0; i < runes.Length; i++)
        {
            if (Rune.GetUnicodeCategory(runes[i]) == UnicodeCategory.Format && !IsFormatAllowed(runes, i))
            {
                return FormatMessage;
            }
        }

        return HasVisibleText(value) ? null : BlankMessage;
    }

    /// <summary>
    /// The only formatting characters a name may hold, where writing needs them: a zero-width joiner or non-joiner
    /// (U+200D, U+200C) between two letters, marks or symbols (Persian and Indic words, emoji sequences such as a family
    /// or a skin-toned profession), and the tag characters of a subdivision flag after its black flag. Never alone, at
    /// either end or beside a space; direction controls (U+200E/F, U+202A–202E, U+2066–2069, U+061C), zero-width
    /// spaces, word joiners, soft hyphens and byte-order marks never.
    /// </summary>
    private static bool IsFormatAllowed(Rune[] runes, int i)
    {
        var value = runes[i].Value;
        if (value is 0x200C or 0x200D)
        {
            return i > 0 && i < runes.Length - 1 && Joinable(runes[i - 1]) && Joinable(runes[i + 1]);
        }

        if (value is >= 0xE0020 and <= 0xE007F)
        {
            return i > 0 && (runes[i - 1].Value is >= 0xE0020 and <= 0xE007F || Rune.GetUnicodeCategory(runes[i - 1]) == UnicodeCategory.OtherSymbol);
        }

        return false;
    }

    private static bool Joinable(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol => !Fillers.Contains(rune.Value),
        _ => false,
    };

    private static bool IsVisible(Rune rune) => !Fillers.Contains(rune.Value) && Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation
            or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
        _ => false,
    };

    /// <summary>
    /// The text as one line for where a stored value from before the rule (or from another system) lands in a
    /// one-line field: every control character or line separator becomes a space, runs of spaces one, trimmed.
    /// </summary>
    public static string Flatten(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            var space = char.IsControl(c) || c is '\u2028' or '\u2029' || char.IsWhiteSpace(c);
            if (!space)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }

        return builder.ToString().TrimEnd();
    }

    /// <summary>
    /// What is wrong with a free text of several lines (a note, a reason), or null: the same rule as a name's, except
    /// that line breaks (CR, LF, and U+2028/2029) and tabs are welcome and blank text is left to the field. Other C0
    /// controls, DEL and C1 controls (a bell, an escape sequence for whoever reads it in a terminal) are
    /// <see cref="ControlMessage"/>; direction overrides and isolates and the rest of the invisible formatting a name
    /// refuses are <see cref="FormatMessage"/>.
    /// </summary>
    public static string? MultiLineProblem(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!WellFormedText.IsWellFormed(value))
        {
            return WellFormedText.Message;
        }

        var runes = value.EnumerateRunes().ToArray();
        if (runes.Any(r => Rune.IsControl(r) && r.Value is not ('\r' or '\n' or '\t')))
        {
            return ControlMessage;
        }

        for (var i = 0; i < runes.Length; i++)
        {
            if (Rune.GetUnicodeCategory(runes[i]) == UnicodeCategory.Format && !IsFormatAllowed(runes, i))
            {
                return FormatMessage;
            }
        }

        return null;
    }

    /// <summary>A free text of several lines: no control characters but line breaks and tabs, no invisible formatting (<see cref="MultiLineProblem"/>).</summary>
    public static IRuleBuilderOptions<T, string?> MultiLine<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => MultiLineProblem(v) is null).WithMessage((_, v) => MultiLineProblem(v) ?? ControlMessage);

    /// <summary>
    /// One line (<see cref="LineMessage"/>), no invisible formatting (<see cref="FormatMessage"/>) and, unless empty or
    /// only spaces (the field's own rule), something visible (<see cref="BlankMessage"/>): one message at most.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> OneLine<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => Problem(v) is null).WithMessage((_, v) => Problem(v) ?? LineMessage);
}
