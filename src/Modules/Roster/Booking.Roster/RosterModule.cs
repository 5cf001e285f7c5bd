using Booking.BuildingBlocks.Data;
using Booking.Roster.Data;
using Booking.Roster.Features.Rules;
using Booking.Roster.Features.Diaries;
using Booking.Roster.Features.Exceptions;
using Booking.Roster.Features.WeeklyRoster;
using FluentValidation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Roster;

public static class RosterModule
{
    public static IServiceCollection AddRosterModule(this IServiceCollection services)
    {
        services.AddModuleDatabase<RosterDbContext>();
        services.AddScoped<Features.OnlineHours.RosterReader>();
        services.AddValidatorsFromAssemblyContaining<RosterDbContext>(ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }

    public static IEndpointRouteBuilder MapRosterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapBookingRules();
        app.MapDiaries();
        app.MapWeeklyRoster();
        app.MapRosterExceptions();
        return app;
    }
}
