using System.Text.Json;
using System.Text.Json.Serialization;

namespace Booking.BuildingBlocks.Problems;

/// <summary>
/// Reads the HTTP API's JSON strings and refuses one that holds a NUL character (U+0000). PostgreSQL's text types
/// cannot store it, so it would otherwise reach the save and fail there as a 500; refused while reading, it is a 400
/// `validation` naming the field (<see cref="ProblemWriter"/>), before any handler runs.
/// </summary>
public sealed class TextWithoutNulConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString());

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString())!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string? Checked(string? value) =>
        value is not null && value.Contains('\0', StringComparison.Ordinal) ? throw new TextWithNulException() : value;
}

/// <summary>A JSON string held a NUL character; its field is the exception's path.</summary>
public sealed class TextWithNulException() : JsonFieldException(Refusal)
{
    /// <summary>What the caller is told, on a JSON field or a query parameter.</summary>
    public const string Refusal = "Remove the NUL character (\\u0000): text cannot hold it.";
}

/// <summary>
/// A value one of the API's JSON converters refuses for a reason worth telling the caller (rather than "not valid
/// JSON of the expected type"): <see cref="ProblemWriter"/> puts <see cref="Text"/> on the field at the exception's path.
/// </summary>
public abstract class JsonFieldException(string text) : JsonException(text)
{
    public string Text { get; } = text;
}
