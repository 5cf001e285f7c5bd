using Microsoft.AspNetCore.Builder;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// A problem kind an endpoint may answer with, and its status. The OpenAPI document lists each status's kinds, so a
/// front end learns from it what it must handle (API.md's table says which kinds exist, not where they come from).
/// </summary>
public sealed record ProblemAnswer(int Status, string Kind);

public static class ProblemAnswerExtensions
{
    public static TBuilder Answers<TBuilder>(this TBuilder builder, int status, params string[] kinds)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. kinds.Select(kind => new ProblemAnswer(status, kind))]);
}
