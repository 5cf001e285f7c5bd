using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Services;

public static class ServicesModule
{
    public static IServiceCollection AddServicesModule(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapServicesEndpoints(this IEndpointRouteBuilder app) => app;
}
