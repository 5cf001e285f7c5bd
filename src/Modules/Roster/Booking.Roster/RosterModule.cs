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
        // The exception rules read the business's zone (the staff window's dates): scoped, as PortalAuth's and Services' are.
        services.AddValidatorsFromAssemblyContaining<RosterDbContext>(ServiceLifetime.Singleton,
            r => r.ValidatorType != typeof(CreateRosterExceptionValidator) && r.ValidatorType != typeof(ChangeRosterExceptionValidator)
                && r.ValidatorType != typeof(CreateRosterExceptionRangeValidator), includeInternalTypes: true);
        services.AddScoped<IValidator<CreateRosterException>, CreateRosterExceptionValidator>();
        services.AddScoped<IValidator<ChangeRosterException>, ChangeRosterExceptionValidator>();
        services.AddScoped<IValidator<CreateRosterExceptionRange>, CreateRosterExceptionRangeValidator>();
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
