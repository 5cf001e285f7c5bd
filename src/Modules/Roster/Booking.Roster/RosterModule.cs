using Booking.BuildingBlocks.Data;
using Booking.Roster.Data;
using Booking.Roster.Features.ClosedDays;
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
        // The exception rules read the business's zone (the staff window's dates): scoped, as PortalAuth's and Services' are;
        // any validator that takes the tenant is, so a new one cannot be made a singleton holding the first request's.
        services.AddValidatorsFromAssemblyContaining<RosterDbContext>(ServiceLifetime.Singleton, r => !TakesTenant(r.ValidatorType), includeInternalTypes: true);
        services.AddValidatorsFromAssemblyContaining<RosterDbContext>(ServiceLifetime.Scoped, r => TakesTenant(r.ValidatorType), includeInternalTypes: true);
        return services;
    }

    private static bool TakesTenant(Type validator) =>
        validator.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(Booking.BuildingBlocks.Tenancy.ITenantContext)));

    public static IEndpointRouteBuilder MapRosterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapBookingRules();
        app.MapDiaries();
        app.MapWeeklyRoster();
        app.MapRosterExceptions();
        app.MapBusinessClosedDays();
        return app;
    }
}
