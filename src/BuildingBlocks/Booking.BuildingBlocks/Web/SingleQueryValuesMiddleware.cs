using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// Refuses an API query that gives one key more than once (<c>?service=a&amp;service=b</c>) with a 400 <c>validation</c>
/// naming the key, before the tenant is resolved or any endpoint binds (decision 298). Minimal APIs join repeated values
/// with commas into a <c>string</c> parameter, so <c>service=&lt;id&gt;&amp;service=junk</c> answered 404 and a typed one
/// "could not bind"; a repeated <c>name=</c> is a tenant ambiguity that must never pick one. Central, so every route,
/// present and future, is covered without a line of its own; a route that truly takes a list from the query names the
/// key with <see cref="RepeatableQueryExtensions.AllowRepeatedQuery{TBuilder}"/>. Keys are compared as the query
/// collection does, ignoring case (<c>name=a&amp;Name=b</c> is a repeat).
/// </summary>
public sealed class SingleQueryValuesMiddleware(RequestDelegate next)
{
    public const string Message = "Give one value.";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api") && context.Request.QueryString.HasValue)
        {
            var allowed = context.GetEndpoint()?.Metadata.GetMetadata<RepeatableQueryMetadata>();
            var repeated = context.Request.Query
                .Where(pair => pair.Value.Count > 1 && allowed?.Keys.Contains(pair.Key) != true)
                .Select(pair => FieldName(context, pair.Key))
                .ToList();
            if (repeated.Count > 0)
            {
                throw new FluentValidation.ValidationException(repeated.Select(key => new FluentValidation.Results.ValidationFailure(key, Message)));
            }
        }

        return next(context);
    }

    /// <summary>
    /// The field a repeated key is named by: as the route knows it (the tenant's <c>name</c>, a parameter's own name,
    /// or its <c>[FromQuery(Name = …)]</c>), else the camelCase of the key's first spelling in the query. The query
    /// collection keeps one spelling of keys that differ only in case (not the first), so <c>?name=a&amp;NAME=b</c>
    /// was named <c>nAME</c>.
    /// </summary>
    public static string FieldName(HttpContext context, string key)
    {
        if (string.Equals(key, TenantQueryKey, StringComparison.OrdinalIgnoreCase))
        {
            return TenantQueryKey;
        }

        var declared = context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IParameterBindingMetadata>()
            .Select(p => p.ParameterInfo.GetCustomAttributes(true).OfType<Microsoft.AspNetCore.Http.Metadata.IFromQueryMetadata>().FirstOrDefault()?.Name ?? p.Name)
            .FirstOrDefault(name => string.Equals(name, key, StringComparison.OrdinalIgnoreCase));
        if (declared is not null)
        {
            return ProblemWriter.JsonPath(declared);
        }

        var first = FirstSpelling(context.Request.QueryString.Value, key);
        return ProblemWriter.JsonPath(first ?? key);
    }

    /// <summary>The tenant's query key (<c>?name=</c>), which no endpoint declares.</summary>
    private const string TenantQueryKey = "name";

    private static string? FirstSpelling(string? query, string key)
    {
        foreach (var part in (query ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var raw = part.Split('=', 2)[0];
            var name = Uri.UnescapeDataString(raw.Replace('+', ' '));
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }
}

/// <summary>Query keys an endpoint takes more than once (a list); every other key is refused when repeated.</summary>
public sealed record RepeatableQueryMetadata(IReadOnlySet<string> Keys);

public static class RepeatableQueryExtensions
{
    /// <summary>Lets these query keys be given more than once on this route (the endpoint binds them as a list).</summary>
    public static TBuilder AllowRepeatedQuery<TBuilder>(this TBuilder builder, params string[] keys)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RepeatableQueryMetadata(keys.ToHashSet(StringComparer.OrdinalIgnoreCase)));
}
