using System.Text.RegularExpressions;
using PhoneNumbers;

namespace Booking.BuildingBlocks.Phones;

/// <summary>
/// A stored phone number (E.164, "+447700900123") as people read it, relative to the business's country: the national
/// format for a number of that country ("07700 900123"), the international one for another's ("+1 201-555-0123"), and
/// the stored text as it is when it does not read as a number. Only for people: the API, input round trips that the
/// server parses again, and <c>tel:</c> addresses keep E.164 (<see cref="TelHref"/>).
/// </summary>
public static partial class PhoneDisplay
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Null for none. "The number's country" is its country calling code: a number that shares the business's code
    /// (+1 for the US and Canada, +44 for the UK and Jersey) is dialled there the national way, so it is written so.
    /// </summary>
    /// <param name="stored">The stored number, E.164 (anything else is shown as it is unless it reads as a number).</param>
    /// <param name="countryCode">The business's country (ISO 3166 alpha-2, any case).</param>
    public static string? Format(string? stored, string? countryCode)
    {
        if (string.IsNullOrWhiteSpace(stored))
        {
            return stored;
        }

        try
        {
            var number = Util.Parse(stored, null);
            if (!Util.IsPossibleNumber(number))
            {
                return stored;
            }

            var home = string.IsNullOrEmpty(countryCode) ? 0 : Util.GetCountryCodeForRegion(countryCode.ToUpperInvariant());
            return Util.Format(number, number.CountryCode == home ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return stored;
        }
    }

    /// <summary>
    /// The number as <see cref="Format"/> writes it for the business, with every digit but the last three as dots: a US
    /// business's "(917) 555-0188" is "(•••) •••-•188", another country's number keeps its calling code ("+44 •••• •••123").
    /// Enough for a client to see a mistyped number on the code pages, without showing it whole (the attempt id travels
    /// in the page's address).
    /// </summary>
    public static string Mask(string stored, string? countryCode)
    {
        var shown = Format(stored, countryCode) ?? stored;
        if (shown == stored)
        {
            // Not a number Format could group (it answered the stored text): no calling code to tell apart, so only the
            // first two digits and the last three show, never the whole number (session 32's diff review).
            var all = stored.Where(char.IsAsciiDigit).ToArray();
            return all.Length <= 5
                ? new string('•', all.Length)
                : (stored.StartsWith('+') ? "+" : "") + new string(all[..2]) + new string('•', all.Length - 5) + new string(all[^3..]);
        }

        var keepFrom = shown.Count(char.IsAsciiDigit) - 3;
        var masked = new System.Text.StringBuilder(shown.Length);
        var inCallingCode = shown.StartsWith('+');
        var digits = 0;
        foreach (var c in shown)
        {
            if (!char.IsAsciiDigit(c))
            {
                inCallingCode = false;
                masked.Append(c);
                continue;
            }

            digits++;
            masked.Append(inCallingCode || digits > keepFrom ? c : '•');
        }

        return masked.ToString();
    }

    /// <summary>"tel:+447700900123" for a stored E.164 number, null for anything else (shown as text, not offered to call).</summary>
    public static string? TelHref(string? stored) =>
        stored is not null && E164().IsMatch(stored) ? "tel:" + stored : null;

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}\z")]
    private static partial Regex E164();
}
