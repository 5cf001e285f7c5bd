using Booking.BuildingBlocks.Web;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Platform;

/// <summary>Every staff and portal route declares where its tenant comes from; portal routes also the portal gate.</summary>
public sealed class RouteConventionTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private IReadOnlyList<RouteEndpoint> Routes() =>
        shared.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    [Fact]
    public void Admin_and_staff_routes_take_the_tenant_from_the_staff_session()
    {
        var routes = Routes().Where(r => r.RoutePattern.RawText!.StartsWith("/api/v1/admin", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(routes);
        var offenders = routes.Where(r => r.Metadata.GetMetadata<TenantSourceMetadata>()?.Source != TenantSource.StaffSession)
            .Select(r => r.RoutePattern.RawText).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Portal_routes_declare_a_tenant_source_and_all_but_the_business_facts_and_sign_out_are_gated()
    {
        var routes = Routes().Where(r => r.RoutePattern.RawText!.StartsWith("/api/v1/portal", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(routes);
        Assert.Empty(routes.Where(r => r.Metadata.GetMetadata<TenantSourceMetadata>() is null).Select(r => r.RoutePattern.RawText));
        var ungated = routes.Where(r => r.Metadata.GetMetadata<PortalRouteMetadata>() is null).Select(r => r.RoutePattern.RawText).Distinct().ToList();
        // The business facts (the page needs them to say the portal is off) and sign-out (ending one's own session is
        // never refused, decision 80) are the only routes that answer while a business has its portal switched off.
        Assert.Equal(["/api/v1/portal/auth/sign-out", "/api/v1/portal/business"], ungated.Order(StringComparer.Ordinal));
    }
}
