//! One module per resource.

pub mod admin;
pub mod widget;
