using PhoneNumbers;

namespace Booking.PortalAuth.Domain;

/// <summary>Mobile numbers as typed by a client, read with the business's country as the default region.</summary>
public static class Mobiles
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>E.164, or null when the text is not a valid number that can receive texts.</summary>
    public static string? ToE164(string? input, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return null;
        }

        try
        {
            var number = Util.Parse(input, defaultRegion.ToUpperInvariant());
            if (!Util.IsValidNumber(number))
            {
                return null;
            }

            var type = Util.GetNumberType(number);
            return type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE
                ? Util.Format(number, PhoneNumberFormat.E164)
                : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
