using FluentValidation;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// Names (a client's, a pet's) are one line of text: they go into email subjects and headers, .ics fields and
/// one-line page layouts, where a line break or a control character splits or corrupts what they land in.
/// </summary>
public static class OneLineText
{
    /// <summary>True for null or text without control characters (C0, DEL, C1) and without Unicode line or paragraph separators.</summary>
    public static bool IsOneLine(string? value) =>
        value is null || !value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    public static IRuleBuilderOptions<T, string?> OneLine<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsOneLine).WithMessage("Use one line, without line breaks or control characters.");
}
