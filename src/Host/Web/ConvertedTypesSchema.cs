using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Booking.Host.Web;

/// <summary>
/// The API's strings and instants are read by converters of ours (<see cref="Booking.BuildingBlocks.Problems.TextWithoutNulConverter"/>,
/// <see cref="Booking.BuildingBlocks.Problems.TimeWithOffsetConverter"/>), and the schema exporter describes a type with a
/// custom converter as anything. This gives them their types back (`string`, `date-time`), nullable where the
/// property is, so the OpenAPI document reads as it did without the converters.
/// </summary>
public static class ConvertedTypesSchema
{
    public static Task Restore(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (schema.Type is null && (type == typeof(string) || type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?)))
        {
            var nullable = type == typeof(DateTimeOffset?) || context.JsonPropertyInfo is { IsGetNullable: true } or { IsSetNullable: true };
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = type == typeof(string) ? schema.Format : "date-time";
        }
        else if (schema.Items is null && context.JsonTypeInfo is { Kind: JsonTypeInfoKind.Enumerable } list && list.ElementType == typeof(string))
        {
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        }

        return Task.CompletedTask;
    }
}
