using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Booking.Services.Features.Catalogue;

/// <summary>
/// Reads a price's amount as the contract writes money ("45.00", or the JSON number 45.00): digits with at most one
/// decimal point, an optional leading minus (refused later as negative, with its own message). An exponent ("1e3",
/// 4.5E1) is refused, naming the field, rather than saved as 1000.00: nobody types a price that way, and a caller who
/// does has a bug worth hearing about. Read when the command is made from the body (<see cref="MoneyBody.ToInput"/>),
/// not while the JSON is read, so the refusal comes with the body's other field errors (decision 277).
/// </summary>
public static partial class MoneyAmount
{
    public const string Refusal = "Give the amount as digits with a decimal point, such as \"45.00\".";

    /// <summary>False for a value that is not such an amount; true with null for none (left out or JSON null).</summary>
    public static bool TryRead(JsonElement? value, out decimal? amount)
    {
        amount = null;
        string text;
        switch (value?.ValueKind)
        {
            case null or JsonValueKind.Undefined or JsonValueKind.Null:
                return true;
            case JsonValueKind.Number:
                text = value.Value.GetRawText();
                break;
            case JsonValueKind.String:
                text = value.Value.GetString()!;
                break;
            default:
                return false;
        }

        if (!Plain().IsMatch(text)
            || !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var read))
        {
            return false;
        }

        amount = read;
        return true;
    }

    [GeneratedRegex(@"^-?\d{1,20}(?:\.\d{1,20})?\z")]
    private static partial Regex Plain();
}
