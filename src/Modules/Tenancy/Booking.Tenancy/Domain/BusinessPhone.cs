using Booking.BuildingBlocks.Phones;
using PhoneNumbers;

namespace Booking.Tenancy.Domain;

/// <summary>The business's contact phone: read with its country as the default region, kept as E.164.</summary>
public static class BusinessPhone
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>E.164, or null when the text is not a valid phone number (any type: a landline is fine).</summary>
    public static string? ToE164(string? input, string region)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return null;
        }

        try
        {
            var number = Util.Parse(input, region.ToUpperInvariant());
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>
    /// As the business's clients write it: national format for a number of its country ("(02) 9876 5432"), the
    /// international one for another's ("+1 201-555-0123"), by the one rule every displayed phone follows
    /// (<see cref="PhoneDisplay"/>). Null for none.
    /// </summary>
    public static string? Display(string? e164, string region) =>
        string.IsNullOrEmpty(e164) ? null : PhoneDisplay.Format(e164, region);
}
