using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Builder;

namespace Booking.BuildingBlocks.Web;

/// <summary>Whether the current business's client portal is switched on. Implemented by the Tenancy module.</summary>
public interface IPortalGate
{
    ValueTask<bool> IsEnabledAsync(CancellationToken cancellationToken);
}

/// <summary>Marks a client-portal route: refused with portal-disabled when the business switched its portal off.</summary>
public sealed record PortalRouteMetadata;

public static class PortalGateExtensions
{
    /// <summary>Every portal route except the public business facts carries this.</summary>
    public static TBuilder RequirePortalEnabled<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PortalRouteMetadata()).Answers(403, ProblemKinds.PortalDisabled);

    public static ProblemException PortalDisabled() =>
        new(ProblemKinds.PortalDisabled, 403, "Online booking is not available", "This business is not taking bookings online at the moment.");
}
