// Placeholder replaced by the database bootstrap once the data layer exists.
export default function setup(): void {}
