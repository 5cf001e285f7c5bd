using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.PortalAuth;

public static class PortalAuthModule
{
    public static IServiceCollection AddPortalAuthModule(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapPortalAuthEndpoints(this IEndpointRouteBuilder app) => app;
}
