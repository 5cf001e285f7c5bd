using FluentValidation;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// Names (a client's, a pet's, the business's, a staff member's, a service's, a diary's) are one line of text: they go into email subjects and headers, .ics fields and
/// one-line page layouts, where a line break or a control character splits or corrupts what they land in.
/// </summary>
public static class OneLineText
{
    /// <summary>True for null or text without control characters (C0, DEL, C1) and without Unicode line or paragraph separators.</summary>
    public static bool IsOneLine(string? value) =>
        value is null || !value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    /// <summary>
    /// The text as one line for where a stored value from before the rule (or from another system) lands in a
    /// one-line field: every control character or line separator becomes a space, runs of spaces one, trimmed.
    /// </summary>
    public static string Flatten(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length);
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

    public static IRuleBuilderOptions<T, string?> OneLine<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsOneLine).WithMessage("Use one line, without line breaks or control characters.");
}
