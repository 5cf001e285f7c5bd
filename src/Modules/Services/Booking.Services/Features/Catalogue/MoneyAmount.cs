using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Booking.BuildingBlocks.Problems;

namespace Booking.Services.Features.Catalogue;

/// <summary>
/// Reads a price's amount as the contract writes money ("45.00", or the JSON number 45.00): digits with at most one
/// decimal point, an optional leading minus (refused later as negative, with its own message). An exponent ("1e3",
/// 4.5E1) is refused while reading, naming the field, rather than saved as 1000.00: nobody types a price that way, and
/// a caller who does has a bug worth hearing about.
/// </summary>
public sealed partial class MoneyAmountConverter : JsonConverter<decimal?>
{
    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                text = Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
                break;
            case JsonTokenType.String:
                text = reader.GetString()!;
                break;
            default:
                throw new MoneyAmountException();
        }

        if (!Plain().IsMatch(text)
            || !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw new MoneyAmountException();
        }

        return amount;
    }

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteNumberValue(value.Value);
        }
    }

    [GeneratedRegex(@"^-?\d{1,20}(?:\.\d{1,20})?\z")]
    private static partial Regex Plain();
}

/// <summary>A price's amount that is not plain digits with a decimal point; its field is the exception's path.</summary>
public sealed class MoneyAmountException() : JsonFieldException("Give the amount as digits with a decimal point, such as \"45.00\".");
