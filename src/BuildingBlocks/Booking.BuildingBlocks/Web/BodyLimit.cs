using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace Booking.BuildingBlocks.Web;

/// <summary>A route's own request body limit (<see cref="IRequestSizeLimitMetadata"/>, read by ASP.NET Core's routing).</summary>
public sealed record BodyLimitMetadata(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

public static class BodyLimitExtensions
{
    /// <summary>
    /// This route's body limit in bytes, over the app's default (1 MB, decision 298): routing applies it to the server
    /// for the request, and the body-limit middleware refuses a larger declared body before it is read.
    /// </summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimitMetadata(bytes));
}
