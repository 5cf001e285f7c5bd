using System.Text.Json;
using System.Text.Json.Serialization;

namespace Booking.BuildingBlocks.Problems;

/// <summary>
/// Reads the HTTP API's instants (<see cref="DateTimeOffset"/>) only with their UTC offset ("…+11:00" or "…Z").
/// Without one, the default reader takes the server's own offset: a start of "09:00" would be booked at 09:00 on the
/// server's clock, an hour or more away from what a client in another zone meant. Refused here, it is a 400
/// `validation` naming the field (<see cref="ProblemWriter"/>). Written as before: ISO 8601 with the offset.
/// </summary>
public sealed class TimeWithOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
        {
            throw new JsonException(); // not a time at all: the usual "not valid JSON of the expected type"
        }

        return HasOffset(reader.GetString()!) ? value : throw new TimeWithoutOffsetException();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>True when an ISO 8601 date-time ends in Z or carries a ±hh:mm offset after its time.</summary>
    public static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        var time = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        return time >= 0 && text.AsSpan(time).IndexOfAny('+', '-') >= 0;
    }
}

/// <summary>A JSON time came without its UTC offset; its field is the exception's path.</summary>
public sealed class TimeWithoutOffsetException()
    : JsonFieldException("Give the time with its UTC offset, e.g. 2026-03-05T09:30:00+11:00 or 2026-03-04T22:30:00Z.");
