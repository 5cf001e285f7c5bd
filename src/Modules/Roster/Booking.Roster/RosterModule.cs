using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Roster;

public static class RosterModule
{
    public static IServiceCollection AddRosterModule(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapRosterEndpoints(this IEndpointRouteBuilder app) => app;
}
