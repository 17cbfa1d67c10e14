//! The widget's components, one per file.

mod app;
mod badge;
mod rating;
mod shop_card;
mod status;

pub use app::App;
